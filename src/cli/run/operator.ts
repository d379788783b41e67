/** Who is operating: a module of its own, so commands that only need the name load nothing else. */
import { userInfo } from 'node:os';

/** The operator's name: --operator, else $USER, else the OS account. */
export function operatorName(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag?.trim() || env.USER || env.LOGNAME || userInfo().username;
}
