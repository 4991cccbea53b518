// The third-party parsers behind two formats and the pipeline files: fast-xml-parser (Pascal VOC)
// and yaml (YOLO's data.yaml, pipelines). The parsers that need one take it as their last
// argument, and whoever parses loads it first with loadXml() / loadYaml(), so a process that never
// reads VOC or YAML never loads them: imported at start, they and their dependencies cost
// `tessera serve` ~4 MB of idle RSS. The dynamic import is of the package itself: a bundler hoists
// the static imports of a module that is itself imported dynamically to the bundle's start.
import type * as FastXml from 'fast-xml-parser';
import type * as Yaml from 'yaml';

/** What the VOC parser uses of fast-xml-parser. */
export type XmlLib = Pick<typeof FastXml, 'XMLParser' | 'XMLValidator'>;
/** What the data.yaml and pipeline parsers use of yaml. */
export type YamlLib = Pick<typeof Yaml, 'parseDocument' | 'isMap' | 'isScalar' | 'LineCounter'>;

/** fast-xml-parser, loaded on the first call (the module system keeps it after that). */
export const loadXml = (): Promise<XmlLib> => import('fast-xml-parser');
/** yaml, loaded on the first call. */
export const loadYaml = (): Promise<YamlLib> => import('yaml');
