// Cold-start floor: functions-framework and zod's classic API (what Reckon's schemas use),
// validating one small body per request. Compared with zod-mini-function.ts (docs/performance.md).
import { http } from '@google-cloud/functions-framework';
import * as z from 'zod';

const Body = z.object({ issueId: z.string().min(1).max(64), round: z.number().int().min(1), value: z.string().max(8) });
http('zod', (_req, res) => { res.status(200).json({ ok: Body.safeParse({ issueId: 'a', round: 1, value: '5' }).success }); });
