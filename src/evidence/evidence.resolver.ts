import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../platform/context';
import { notImplemented } from '../platform/not-implemented';
import type { EvidenceEntity } from './evidence.entity';
import { CreateEvidenceUploadInput, Evidence, EvidenceUpload } from './evidence.types';
import { DOWNLOAD_TTL_SECONDS } from './evidence.service';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @Authorized('DISPUTE_CALLS')
  @Mutation(() => EvidenceUpload, {
    description: 'Starts an evidence upload: checks type and size and returns a signed upload (needs DISPUTE_CALLS).',
  })
  createEvidenceUpload(
    @Ctx() _ctx: Context,
    @Arg('input', () => CreateEvidenceUploadInput, { description: 'The file about to be uploaded.' }) _input: CreateEvidenceUploadInput,
  ): never {
    return notImplemented('createEvidenceUpload');
  }

  @FieldResolver(() => String, {
    description: 'Short-lived signed download URL; only ever issued to a viewer allowed to see the dispute.',
  })
  url(@Root() e: EvidenceEntity, @Ctx() ctx: Context): Promise<string> {
    return ctx.app.store.signedDownload(e.objectKey, {
      expiresInSeconds: DOWNLOAD_TTL_SECONDS,
      fileName: e.fileName,
      contentType: e.contentType,
    });
  }
}
