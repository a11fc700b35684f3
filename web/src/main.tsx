import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../shared/schemas/auth.js';
import { api, ApiError } from './api.js';
import { currentRoute, navigate } from './router.js';
import { SignIn } from './pages/sign-in.js';
import { SignUp } from './pages/sign-up.js';
import { Account } from './pages/account.js';
import { Sessions } from './pages/sessions.js';
import { Room } from './pages/room.js';
import { Join } from './pages/join.js';
import { JiraSettings } from './pages/jira-settings.js';
import { ForgeSettings } from './pages/forge-settings.js';
import { Team } from './pages/team.js';
import { Invite, takePendingInvite } from './pages/invite.js';
import { Clients } from './pages/clients.js';
import { PortalLink, takePendingPortalLink } from './pages/portal-link.js';
import { PortalHome } from './pages/portal-home.js';
import { Insights, PortalInsights } from './pages/insights.js';

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; me: MeResponse } | { state: 'offline' };

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [session, setSession] = useState<Session>({ state: 'loading' });

  const loadMe = async () => {
    try {
      setSession({ state: 'signed-in', me: await api.me() });
      // Back from signing up or in with an invite link waiting: accept it now.
      const invite = takePendingInvite();
      if (invite) setTimeout(() => navigate(`/invite/${invite}`));
      const portalLink = takePendingPortalLink();
      if (portalLink) setTimeout(() => navigate(`/portal/link/${portalLink}`));
    } catch (e) {
      setSession(e instanceof ApiError && e.status === 401 ? { state: 'signed-out' } : { state: 'offline' });
    }
  };

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    void loadMe();
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setSession({ state: 'signed-out' });
    navigate('/signin');
  };

  if (session.state === 'loading') return <p class="loading" role="status">Loading…</p>;
  const signedIn = session.state === 'signed-in';
  const roomId = /^\/s\/([A-Za-z0-9_-]{1,64})$/.exec(route)?.[1];
  const joinCode = /^\/join(?:\/([A-Za-z0-9-]{0,32}))?$/.exec(route);
  const inviteToken = /^\/invite\/([A-Za-z0-9_-]{1,100})$/.exec(route)?.[1];
  const portalToken = /^\/portal\/link\/([A-Za-z0-9_.-]{1,4096})$/.exec(route)?.[1];
  const portalClient = /^\/portal(?:\/([A-Za-z0-9_-]{1,64}))?$/.exec(route);
  // A portal user who is in no team but their own personal one sees the portal, never team pages.
  const portalOnly = signedIn && isPortalOnly(session.me);
  const portalInsights = /^\/insights\/client\/([A-Za-z0-9_-]{1,64})$/.exec(route)?.[1];
  let page;
  // Rooms and join links work for guests too: they need no account.
  if (roomId) {
    page = <Room key={roomId} sessionId={roomId} />;
  } else if (joinCode) {
    page = <Join code={joinCode[1] ?? ''} suggestedName={signedIn ? session.me.user.displayName : undefined} />;
  } else if (inviteToken && session.state !== 'offline') {
    page = <Invite token={inviteToken} me={signedIn ? session.me : undefined} onJoined={loadMe} />;
  } else if (portalToken && session.state !== 'offline') {
    page = <PortalLink key={portalToken} token={portalToken} me={signedIn ? session.me : undefined} onRedeemed={loadMe} />;
  } else if (session.state === 'offline') {
    page = <main class="card"><p role="alert">Reckon could not be reached.</p><button type="button" onClick={loadMe}>Try again</button></main>;
  } else if (signedIn && route === '/account') {
    page = <Account me={session.me} onSignedOut={() => setSession({ state: 'signed-out' })} />;
  } else if (signedIn && portalInsights) {
    page = <PortalInsights clientId={portalInsights} />;
  } else if (signedIn && (portalClient || portalOnly)) {
    page = <PortalHome key={portalClient?.[1] ?? ''} me={session.me} clientId={portalClient?.[1]} />;
  } else if (signedIn && route === '/clients') {
    page = <Clients me={session.me} />;
  } else if (signedIn && route === '/settings/jira') {
    page = <JiraSettings me={session.me} />;
  } else if (signedIn && route === '/settings/forge') {
    page = <ForgeSettings me={session.me} />;
  } else if (signedIn && route === '/team') {
    page = <Team me={session.me} onChanged={loadMe} />;
  } else if (signedIn && !portalOnly && route === '/insights') {
    page = <Insights me={session.me} />;
  } else if (signedIn) {
    page = <Sessions me={session.me} />;
  } else if (route === '/signup') {
    page = <SignUp onSignedIn={loadMe} />;
  } else {
    page = <SignIn onSignedIn={loadMe} />;
  }
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">Reckon</a>
        {signedIn && <nav>{portalOnly ? <a href="#/portal">Portal</a> : <><a href="#/">Sessions</a><a href="#/insights">Insights</a><a href="#/team">Team</a>{session.me.portal.length > 0 && <a href="#/portal">Portal</a>}</>}<a href="#/account" class="who">{session.me.user.displayName}</a><button type="button" class="link" onClick={signOut}>Sign out</button></nav>}
      </header>
      {page}
    </>
  );
}

/** In no team but the personal one every account has, and a portal user: the portal is their site. */
function isPortalOnly(me: MeResponse): boolean {
  return me.portal.length > 0 && me.memberships.length <= 1;
}

render(<App />, document.getElementById('app')!);
