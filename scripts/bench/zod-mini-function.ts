// Cold-start floor: as zod-function.ts with `zod/mini`, the tree-shakeable API.
import { http } from '@google-cloud/functions-framework';
import * as z from 'zod/mini';

const Body = z.object({ issueId: z.string().check(z.minLength(1), z.maxLength(64)), round: z.number().check(z.int(), z.gte(1)), value: z.string().check(z.maxLength(8)) });
http('zodMini', (_req, res) => { res.status(200).json({ ok: Body.safeParse({ issueId: 'a', round: 1, value: '5' }).success }); });
