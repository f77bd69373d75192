// Texts the configuration screens share (areas, queues, treatments, parameters).
import { defineMessages } from './messages.js';

export const CONFIG_COMMON = defineMessages({
  en: {
    'config.noLimit': 'no limit',
    'config.fromParameter': '{value} ({name})',
    'config.parameterNow': 'now {value}',
    'config.seconds': '{n} s',
    'config.minutes': '{n} min',
  },
  sv: {
    'config.noLimit': 'ingen gräns',
    'config.fromParameter': '{value} ({name})',
    'config.parameterNow': 'nu {value}',
    'config.seconds': '{n} s',
    'config.minutes': '{n} min',
  },
});
