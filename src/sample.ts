/**
 * Public entry of the seeded sample-data generator, used by the demo, the tests and the benchmark.
 */
export {
  generateSample,
  sampleCsv,
  sampleJson,
  sampleNdjson,
  sampleObjects,
  sampleObject,
  sampleRow,
  sampleCount,
  SAMPLE_CHANNELS,
  SAMPLE_COLUMNS,
} from './core/sample.js';
export type { SampleDataset, SampleOptions, SampleTable, SampleWriteOptions } from './core/sample.js';
