import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../platform/context';
import { requireViewer } from '../auth/viewer';
import type { EvidenceEntity } from './evidence.entity';
import { CreateEvidenceUploadInput, Evidence, EvidenceUpload } from './evidence.types';
import { createEvidenceUpload, evidenceUrl } from './evidence.service';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @Authorized('DISPUTE_CALLS')
  @Mutation(() => EvidenceUpload, {
    description:
      'Starts an evidence upload: checks type and size and returns a signed upload (needs DISPUTE_CALLS).',
  })
  createEvidenceUpload(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateEvidenceUploadInput, {
      description: 'The file about to be uploaded.',
    })
    input: CreateEvidenceUploadInput,
  ): Promise<EvidenceUpload> {
    return createEvidenceUpload(ctx, requireViewer(ctx.viewer), input);
  }

  // Evidence is only ever reached through Dispute.evidence of a dispute the viewer may see.
  @FieldResolver(() => String, {
    description:
      'Short-lived signed download URL; only ever issued to a viewer allowed to see the dispute.',
  })
  url(@Root() e: EvidenceEntity, @Ctx() ctx: Context): Promise<string> {
    return evidenceUrl(ctx, e);
  }
}
