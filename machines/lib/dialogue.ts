import { emit, type ActionFunction, type AnyMachineSnapshot } from 'xstate';
import type { FlowEvent, FlowId, FlowInput, FlowParams, Intent, Params, Prompt, Text } from './intents.js';
import { t } from './intents.js';

/**
 * State meta every waiting state declares. The prompt is a function of the
 * context so that the engine can show the current question again at any time
 * (after "help", after an answer it did not understand, after a restart)
 * without the machine having to re-enter the state.
 */
export interface StateMeta<C> {
  readonly prompt: (context: C) => Prompt;
}

/**
 * An action that emits one intent. XState types an action by the exact
 * context and event of the transition it sits on, so a helper shared by every
 * machine cannot name them; it is typed loosely here, once, and the intent
 * itself stays fully checked by `Intent`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SharedAction = ActionFunction<any, any, any, any, any, any, any, any, any>;
export const intent = (value: Intent): SharedAction => emit(value);

export const say = (key: string, params?: Params) => intent({ type: 'say', text: t(key, params) });
export const sayText = (text: Text) => intent({ type: 'say', text });
export const go = (flow: FlowId, params?: FlowParams) => intent(params ? { type: 'go', flow, params } : { type: 'go', flow });
export const finish = () => intent({ type: 'finish' });

/** The question of the deepest active state that declares one. */
export function promptOf(snapshot: AnyMachineSnapshot): Prompt | undefined {
  const metas = Object.values(snapshot.getMeta() as Record<string, Partial<StateMeta<unknown>> | undefined>);
  for (let i = metas.length - 1; i >= 0; i--) {
    const meta = metas[i];
    if (meta && typeof meta.prompt === 'function') return meta.prompt(snapshot.context);
  }
  return undefined;
}

/** The `types` every flow machine declares in `setup`: the same events, input and intents, its own context. */
export function flowTypes<C>() {
  return {
    context: {} as C,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    emitted: {} as Intent,
    meta: {} as StateMeta<C>,
  };
}
