import { describe, expect, it } from 'vitest';
import type { BootstrapEvent, StackRef } from '@rampart/aws';
import { renderEvent } from './bootstrap.js';

const stack: StackRef = {
  kind: 'stage',
  stackName: 'Rampart-web-prod-Stage',
  accountId: '333333333333',
  region: 'eu-west-1',
};
const at = '333333333333 eu-west-1 Rampart-web-prod-Stage';

describe('renderEvent: how alarms are watched', () => {
  it('names the endpoint a pushing stage delivers to, and its alarms', () => {
    const event: BootstrapEvent = {
      type: 'alarm-watch',
      stack,
      pipeline: 'web',
      stage: 'prod',
      watch: {
        via: 'push',
        alarms: ['web-5xx', 'web-latency'],
        endpoint: 'https://rampart.acme.example/api/v1/alarm-events',
        name: 'rampart-alarms-acme-web-prod',
      },
    };
    expect(renderEvent(event, false)).toBe(
      `${at}: alarms pushed by EventBridge to https://rampart.acme.example/api/v1/alarm-events: web-5xx, web-latency\n`,
    );
  });

  it('says why a stage is only polled', () => {
    const polled = (reason: 'public-url-not-set' | 'too-many-alarms') =>
      renderEvent(
        {
          type: 'alarm-watch',
          stack,
          pipeline: 'web',
          stage: 'prod',
          watch: { via: 'poll', alarms: ['web-5xx'], reason },
        },
        false,
      );
    expect(polled('public-url-not-set')).toBe(
      `${at}: alarms polled (public_url is not set): web-5xx\n`,
    );
    expect(polled('too-many-alarms')).toBe(
      `${at}: alarms polled (too many alarms for one EventBridge rule): web-5xx\n`,
    );
  });

  it('reports the public_url probe, warning when it does not answer', () => {
    const url = 'https://rampart.acme.example/healthz';
    expect(
      renderEvent(
        { type: 'public-url-check', url, reachable: true, detail: 'answered 200' },
        false,
      ),
    ).toBe(`public_url: ${url} answered 200\n`);
    expect(
      renderEvent(
        { type: 'public-url-check', url, reachable: false, detail: 'ECONNREFUSED' },
        false,
      ),
    ).toMatch(
      /^warning: https:\/\/rampart\.acme\.example\/healthz does not answer from here \(ECONNREFUSED\); .*polled\n$/,
    );
  });
});
