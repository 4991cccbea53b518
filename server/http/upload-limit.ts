// The whole-request size limit of upload routes (images, imports): over it, 413 naming the limit.
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../shared/errors.ts';

export const uploadLimit = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `the upload is larger than ${maxBytes} bytes`);
    },
  });
