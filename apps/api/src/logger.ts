import type { LoggerService } from '@nestjs/common';
import type { JobLogger } from '@panel-lab/jobs';

/** One JSON object per line on stdout: time, level, message and fields (requestId, jobId, tenant, ...). */
export class JsonLogger implements LoggerService, JobLogger {
  constructor(private readonly enabled: boolean) {}

  log(levelOrMessage: unknown, messageOrContext?: unknown, fields?: Record<string, unknown>): void {
    if (levelOrMessage === 'info' || levelOrMessage === 'warn' || levelOrMessage === 'error') {
      this.write(levelOrMessage, String(messageOrContext), fields ?? {});
    } else {
      this.write('info', String(levelOrMessage), messageOrContext ? { context: messageOrContext } : {});
    }
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', String(message), rest.length ? { detail: rest.map(String) } : {});
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', String(message), rest.length ? { context: rest.map(String) } : {});
  }

  write(level: string, message: string, fields: Record<string, unknown>): void {
    if (!this.enabled) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  }
}
