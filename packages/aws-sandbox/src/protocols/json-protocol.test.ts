import { describe, expect, it } from 'vitest';
import { AwsError } from '../framework/aws-error.js';
import { jsonProtocol } from './json-protocol.js';

describe('jsonProtocol', () => {
  it('sends no query error header by default', () => {
    const protocol = jsonProtocol({ targetPrefix: 'TrentService' });
    const response = protocol.renderError(new AwsError('NotFoundException', 'gone'), 'req-1');
    expect(response.headers['x-amzn-query-error']).toBeUndefined();
    expect(response.headers['x-amzn-errortype']).toBe('NotFoundException');
    expect(protocol.commonError('MissingParameter', 'm').code).toBe('ValidationException');
  });

  it('adds x-amzn-query-error for awsQueryCompatible services, mapped or as is', () => {
    const protocol = jsonProtocol({
      targetPrefix: 'GraniteServiceVersion20100801',
      contentType: 'application/x-amz-json-1.0',
      awsQueryCompatible: {
        queryCodes: { InvalidParameterValueException: 'InvalidParameterValue' },
      },
    });
    const mapped = protocol.renderError(new AwsError('InvalidParameterValueException', 'bad'), 'r');
    expect(mapped.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': 'InvalidParameterValueException',
      'x-amzn-query-error': 'InvalidParameterValue;Sender',
    });
    expect(JSON.parse(mapped.body as string)).toEqual({
      __type: 'InvalidParameterValueException',
      message: 'bad',
    });
    const server = protocol.renderError(new AwsError('InternalFailure', 'x', { status: 500 }), 'r');
    expect(server.headers['x-amzn-query-error']).toBe('InternalFailure;Receiver');
  });

  it('lets a service choose the codes of framework failures', () => {
    const protocol = jsonProtocol({
      targetPrefix: 'X',
      commonErrors: { MissingParameter: ['MissingRequiredParameterException', 400] },
    });
    expect(protocol.commonError('MissingParameter', 'need it')).toMatchObject({
      code: 'MissingRequiredParameterException',
      status: 400,
      message: 'need it',
    });
    expect(protocol.commonError('AccessDenied', 'no').code).toBe('AccessDeniedException');
  });
});
