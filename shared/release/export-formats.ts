// The dataset formats a release is exported in: a module of its own, so the web client can list
// them without bundling the format writers (and their XML library).
export const EXPORT_FORMATS = { coco: 'coco', yolo: 'yolo', voc: 'voc' } as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[keyof typeof EXPORT_FORMATS];
export const isExportFormat = (v: unknown): v is ExportFormat => typeof v === 'string' && Object.prototype.hasOwnProperty.call(EXPORT_FORMATS, v);
