import type { Context } from '../platform/context';
import type { CallEntity } from '../calls/call.entity';

/** Signed download URLs live at most this long (the contract allows 15 minutes). */
export const DOWNLOAD_TTL_SECONDS = 10 * 60;

/** The call's recording with a short-lived URL; callers have already proven the call visible. */
export async function recordingOf(ctx: Context, call: CallEntity) {
  if (!call.recordingKey || !call.recordingContentType) return null;
  const url = await ctx.app.store.signedDownload(call.recordingKey, {
    expiresInSeconds: DOWNLOAD_TTL_SECONDS,
    contentType: call.recordingContentType,
  });
  return {
    url,
    contentType: call.recordingContentType,
    durationSeconds: call.recordingDurationSeconds,
  };
}
