import type { Message } from 'grammy/types';

/** A photo or document sent in a dialogue, as an attachment keeps it. */
export interface SentFile {
  media: 'photo' | 'document';
  fileId: string;
  fileUniqueId: string;
  fileName: string | null;
}

/**
 * The file a photo or document message carries: a photo's largest size
 * (Telegram lists the sizes smallest first), or the document as sent.
 */
export function fileOf(message: Pick<Message, 'photo' | 'document'>): SentFile {
  const photo = message.photo?.at(-1);
  if (photo) return { media: 'photo', fileId: photo.file_id, fileUniqueId: photo.file_unique_id, fileName: null };
  const doc = message.document!;
  return { media: 'document', fileId: doc.file_id, fileUniqueId: doc.file_unique_id, fileName: doc.file_name ?? null };
}

/** At most this many files ride along with a draft (kept in the dialogue's row until the order exists). */
export const DRAFT_FILES_MAX = 20;

/** The files a draft holds so far (a dialogue's `files`). */
export function draftFiles(data: Record<string, unknown>): SentFile[] {
  return Array.isArray(data.files) ? (data.files as SentFile[]) : [];
}

/** The draft's files with `file` added: the same file sent twice is kept once; past the limit, null. */
export function withDraftFile(data: Record<string, unknown>, file: SentFile): SentFile[] | null {
  const files = draftFiles(data);
  if (files.some((f) => f.fileUniqueId === file.fileUniqueId)) return files;
  return files.length >= DRAFT_FILES_MAX ? null : [...files, file];
}
