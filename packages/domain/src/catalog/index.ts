export * from './categories';
export * from './default-catalog';
export * from './departments';
export * from './duty-catalog';
