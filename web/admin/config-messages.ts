// Texts the configuration screens share (areas, queues, treatments, parameters).
import { defineMessages } from './messages.js';

export const CONFIG_COMMON = defineMessages({
  en: {
    'config.noLimit': 'no limit',
    'config.fromParameter': 'the {name} parameter',
    'config.seconds': '{n} s',
    'config.minutes': '{n} min',
  },
  sv: {
    'config.noLimit': 'ingen gräns',
    'config.fromParameter': 'parametern {name}',
    'config.seconds': '{n} s',
    'config.minutes': '{n} min',
  },
});
