import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../platform/scalars';
import { KeyValue } from '../platform/common.types';
import { MaxItems } from '../platform/list-size';
import type { EvidenceEntity } from './evidence.entity';

@ObjectType({ description: 'A file a buyer attached to a dispute.' })
export class Evidence implements Pick<
  EvidenceEntity,
  'id' | 'fileName' | 'contentType' | 'sizeBytes'
> {
  @Field(() => ID, { description: 'The evidence ID.' })
  id!: string;
  @Field({ description: 'The original file name, sanitized.' })
  fileName!: string;
  @Field({ description: "MIME type, checked against the file's leading bytes." })
  contentType!: string;
  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;
}

@InputType({ description: 'A file the client is about to upload as evidence.' })
export class CreateEvidenceUploadInput {
  @Field({ description: "The file's name, kept for display and downloads (sanitized)." })
  fileName!: string;
  @Field({
    description:
      'One of image/png, image/jpeg, image/webp, application/pdf, text/plain, audio/mpeg, audio/wav, audio/ogg.',
  })
  contentType!: string;
  @Field(() => Int, { description: 'Exact size in bytes; at most 25 MiB.' })
  sizeBytes!: number;
}

/** The signing code makes a handful of headers and form fields; this bounds their cost. */
const MAX_UPLOAD_PAIRS = 20;

@ObjectType({
  description:
    'Where and how the client sends the file\'s bytes, straight to the object store, before it names evidenceId in createDispute. method "PUT": the body is the file, with these headers. method "POST": a multipart/form-data body holding formFields in order, then the file as the field named "file".',
})
export class EvidenceUpload {
  @Field(() => ID, {
    description: 'Name this in createDispute.evidenceIds once the upload is done.',
  })
  evidenceId!: string;
  @Field({ description: 'Signed URL of the object store.' })
  uploadUrl!: string;
  @Field({ description: '"POST" or "PUT".' })
  method!: string;
  @MaxItems(MAX_UPLOAD_PAIRS)
  @Field(() => [KeyValue], {
    description: `Headers to send with the upload; at most ${MAX_UPLOAD_PAIRS}.`,
  })
  headers!: KeyValue[];
  @MaxItems(MAX_UPLOAD_PAIRS)
  @Field(() => [KeyValue], {
    description: `For POST: form fields to send, in order, before the file; at most ${MAX_UPLOAD_PAIRS}.`,
  })
  formFields!: KeyValue[];
  @Field(() => DateTimeScalar, {
    description: 'The upload must start before this instant (at most 15 minutes away).',
  })
  expiresAt!: Date;
}
