import { Router, type Response } from 'express';
import { join } from 'node:path';
import { staticDir } from '../../paths.js';

/** Where Huawei CEC serves its SDK: a CRM page that includes it only changes host:port to use Callbox. */
export const HUAWEI_SDK_PATH = '/service-cloud/resource.root/page/resource.root/js/AICCSupport.js';

/**
 * AICCSupport.js for CRM pages, public. CRM pages on other origins load it with a <script> tag, so its response
 * says Cross-Origin-Resource-Policy: cross-origin (helmet's same-origin default would make browsers refuse it).
 */
export function sdkRoutes(): Router {
  const r = Router();
  const file = join(staticDir, 'js', 'AICCSupport.js');
  const send = (res: Response) => {
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.sendFile(file, { maxAge: '1h', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  };
  r.get(HUAWEI_SDK_PATH, (_req, res) => send(res));
  r.get('/static/js/AICCSupport.js', (_req, res) => send(res));
  return r;
}
