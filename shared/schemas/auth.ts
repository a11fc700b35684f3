// Request and response shapes of the auth API, declared once; the web site imports these too.
import * as z from 'zod';
import { isCommonPassword } from '../security/common-passwords.js';
import { DisplayName } from './display-name.js';

export { DisplayName };

export const Email = z.string().trim().max(254).pipe(z.email({ message: 'Enter a valid email address.' }));
// A lone surrogate (half of a UTF-16 pair) is not text: encoded for hashing it becomes U+FFFD, so
// "\ud800"×8 and "\udfff"×8 would be one password. Such strings are refused everywhere (the router
// checks every string of a JSON body); passwords say so themselves too.
const LONE_SURROGATE = /\p{Cs}/u;
/** True when a string is well-formed Unicode (no lone surrogates). */
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/** 8 to 128 characters, no composition rules (NIST 800-63B); longer input is refused before hashing. */
export const Password = z.string()
  .refine(isWellFormedText, { message: 'The password contains an unpaired surrogate, which is not text.', abort: true })
  .refine((p) => [...p].length >= 8, { message: 'Use at least 8 characters.', abort: true })
  .refine((p) => [...p].length <= 128, { message: 'Use at most 128 characters.', abort: true });

/**
 * A password someone sets (register, password change): the rules of `Password`, and not one of
 * the common and breached passwords (ASVS 6.2.4). The list check is asynchronous (the list is
 * loaded on first use), so validate with `safeParseAsync` (the router does).
 */
export const NewPassword = Password.refine(
  async (p) => !(await isCommonPassword(p)),
  'This password is one of the most common ones, which attackers try first. Choose another.',
);

export const RegisterBody = z.strictObject({ email: Email, password: NewPassword, displayName: DisplayName });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(128) });
export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: NewPassword });
export const EraseBody = z.strictObject({ password: z.string().min(1).max(128) });

export type RegisterInput = z.infer<typeof RegisterBody>;

export interface PublicUser { uid: string; email: string; displayName: string; createdAt: string }
export interface MembershipView { tenantId: string; tenantName: string; role: 'admin' | 'member' }
export interface MeResponse { user: PublicUser; memberships: MembershipView[]; portal: { tenantId: string; clientId: string; clientName: string; teamName: string }[] }
export interface ApiErrorBody { error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] } }
