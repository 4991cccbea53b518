// The in-process event bus passes the event-bus contract.
import { describe } from 'vitest';
import { eventBusContract } from '../../ports/event-bus.contract.ts';
import { inProcessEventBus } from './event-bus.ts';

describe('in-process event bus (contract)', () => eventBusContract(() => inProcessEventBus()));
