// The format converters' public surface: the canonical model and one parse/write pair per format.
export * from './model.ts';
export { parseCoco, cocoToDataset } from './coco-parse.ts';
export { writeCoco, toCoco, type CocoFile } from './coco-write.ts';
export { parseYolo, parseYoloClasses, parseLabelFile, type YoloInput, type YoloImage } from './yolo-parse.ts';
export { writeYolo, describeYoloTask, YOLO_TASKS, type YoloTask, type YoloWriteOptions } from './yolo-write.ts';
export { parseVoc } from './voc-parse.ts';
export { writeVoc } from './voc-write.ts';
export { parseLabelStudio, type LabelStudioOptions } from './labelstudio.ts';
// The XML and YAML parsers parseVoc and parseYolo take, loaded on first use.
export { loadXml, loadYaml, type XmlLib, type YamlLib } from '../parser-libs.ts';
