// The ground floor's Clock, re-exported for modules that still import it from here.
export { systemClock, type Clock, type TimerHandle } from '../clock.js';
