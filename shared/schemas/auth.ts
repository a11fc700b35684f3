// Request and response shapes of the auth API, declared once; the web site imports these too.
import { z } from 'zod';

// Bidirectional overrides, zero-width and other invisible or control characters make names that
// look like someone else's; they are refused in display names.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

export const Email = z.string().trim().max(254).pipe(z.email({ message: 'Enter a valid email address.' }));
/** 8 to 128 characters, no composition rules (NIST 800-63B); longer input is refused before hashing. */
export const Password = z.string().refine((p) => [...p].length >= 8, 'Use at least 8 characters.').refine((p) => [...p].length <= 128, 'Use at most 128 characters.');
export const DisplayName = z.string().trim().normalize('NFC').min(1, 'Enter a name.').max(60, 'Use at most 60 characters.')
  .refine((s) => !INVISIBLE.test(s), 'The name contains invisible or control characters.');

export const RegisterBody = z.strictObject({ email: Email, password: Password, displayName: DisplayName });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(128) });
export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: Password });
export const EraseBody = z.strictObject({ password: z.string().min(1).max(128) });

export type RegisterInput = z.infer<typeof RegisterBody>;

export interface PublicUser { uid: string; email: string; displayName: string; createdAt: string }
export interface MembershipView { tenantId: string; tenantName: string; role: 'admin' | 'member' }
export interface MeResponse { user: PublicUser; memberships: MembershipView[]; portal: { tenantId: string; clientId: string }[] }
export interface ApiErrorBody { error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] } }
