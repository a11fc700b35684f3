// Hash routes: the site is static, so every page is index.html plus a fragment.
export function currentRoute(): string {
  return location.hash.replace(/^#/, '') || '/';
}

export function navigate(route: string): void {
  if (currentRoute() !== route) location.hash = route;
}
