import { describe, expect, it } from 'vitest';
import { classifyFailure } from './failure-classes';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('classifyFailure', () => {
  it('calls an outage an infrastructure error', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' }))).toBe('infra');
    expect(classifyFailure(pgError('53300', 'sorry, too many clients already'))).toBe('infra');
    expect(classifyFailure(pgError('57P01', 'terminating connection due to administrator command'))).toBe('infra');
    expect(classifyFailure(pgError('57P03', 'the database system is starting up'))).toBe('infra');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('infra');
    expect(classifyFailure(new Error('timeout exceeded when trying to connect'))).toBe('infra');
    expect(classifyFailure(Object.assign(new Error('InternalError'), { $metadata: { httpStatusCode: 503 } }))).toBe('infra');
  });
  it('calls a statement that cannot succeed on its data a data error', () => {
    expect(classifyFailure(pgError('23505', 'duplicate key value violates unique constraint'))).toBe('data');
    expect(classifyFailure(pgError('21000', 'ON CONFLICT DO UPDATE command cannot affect row a second time'))).toBe('data');
    expect(classifyFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe('data');
    expect(classifyFailure(pgError('P0001', 'injected failure'))).toBe('data');
  });
  it('leaves what it does not know retryable', () => {
    expect(classifyFailure(new Error('something odd'))).toBe('unknown');
    expect(classifyFailure('a string')).toBe('unknown');
    expect(classifyFailure(null)).toBe('unknown');
  });
  it('looks through a cause', () => {
    expect(classifyFailure(new Error('write failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe('infra');
  });
});
