// The format converters' public surface: the canonical model and one parse/write pair per format.
export * from './model.ts';
export { parseCoco, cocoToDataset } from './coco-parse.ts';
export { writeCoco, toCoco, type CocoFile } from './coco-write.ts';
export { parseYolo, parseYoloClasses, parseLabelFile, writeYolo, type YoloInput, type YoloImage } from './yolo.ts';
export { parseVoc } from './voc-parse.ts';
export { writeVoc } from './voc-write.ts';
export { parseLabelStudio, type LabelStudioOptions } from './labelstudio.ts';
