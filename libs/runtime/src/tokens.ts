/** Injection tokens of the platform module. */
export const KAFKA = Symbol('KAFKA');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
