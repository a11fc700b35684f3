// The baseline for cold starts: a function that loads nothing but functions-framework.
import { http } from '@google-cloud/functions-framework';

http('bare', (_req, res) => { res.status(200).json({ ok: true }); });
