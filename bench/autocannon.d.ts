/** The part of autocannon's API the benchmarks use (it ships no types). */
declare module "autocannon" {
  interface Request {
    method?: string;
    path?: string;
    setupRequest?: (request: Request) => Request;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    requests?: Request[];
  }
  interface Histogram {
    p50: number;
    p99: number;
    average: number;
    /** Samples taken (for `requests`: requests completed). */
    total: number;
  }
  interface Result {
    latency: Histogram;
    requests: Histogram;
    non2xx: number;
    errors: number;
  }
  function autocannon(options: Options): Promise<Result>;
  // eslint-disable-next-line no-restricted-syntax -- the package's own (CommonJS) export
  export default autocannon;
}
