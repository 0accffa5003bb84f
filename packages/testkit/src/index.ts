export * from './context.ts';
export * from './names.ts';
export * from './topics.ts';
export * from './redis.ts';
export { dockerEngineReachable } from './containers.ts';
export * from './dedicated-kafka.ts';
export * from './console-consumer.ts';
export * from './browser.ts';
export * from './ready.ts';
