/**
 * date-fns 4: parsing, formatting (with a locale), arithmetic, intervals and durations, in
 * Lambda's time zone (UTC; the host's Node computes the reference under TZ=UTC too). Bundled.
 */
import t, { type Test } from 'tap'
import { runCase } from './harness.js'

const files = {
  'index.mjs': `import {
  addBusinessDays, differenceInCalendarDays, eachDayOfInterval, endOfMonth, format, formatDistanceStrict, formatISO,
  intervalToDuration, isValid, isWeekend, parse, parseISO, startOfWeek, subMonths, formatDuration, getISOWeek,
} from 'date-fns'
import { de, fr } from 'date-fns/locale'

export const handler = async (event) => {
  const at = parseISO(event.at)
  const due = parse(event.due, 'dd/MM/yyyy HH:mm', at)
  return {
    iso: formatISO(at),
    formatted: format(at, "EEEE d MMMM yyyy 'at' HH:mm:ss.SSS"),
    french: format(at, 'PPPP', { locale: fr }),
    german: format(at, 'EEEE, do MMMM', { locale: de }),
    due: formatISO(due),
    daysLeft: differenceInCalendarDays(due, at),
    distance: formatDistanceStrict(at, due, { addSuffix: true }),
    duration: formatDuration(intervalToDuration({ start: at, end: due })),
    businessDay: format(addBusinessDays(at, 3), 'yyyy-MM-dd'),
    weekStart: format(startOfWeek(at, { weekStartsOn: 1 }), 'yyyy-MM-dd'),
    monthEnd: format(endOfMonth(subMonths(at, 1)), 'yyyy-MM-dd'),
    weekends: eachDayOfInterval({ start: at, end: due }).filter(isWeekend).map((day) => format(day, 'MM-dd')),
    isoWeek: getISOWeek(at),
    invalid: isValid(parseISO(event.garbage)),
  }
}
`,
}

t.test('date-fns 4', (t) =>
  runCase(t, {
    packaging: 'bundled',
    files,
    events: [
      {
        label: 'parse, format, compute',
        event: { at: '2024-02-28T09:30:15.250Z', due: '04/03/2024 17:45', garbage: '2024-13-45' },
        check: (t: Test, p: unknown) =>
          t.same(p, {
            iso: '2024-02-28T09:30:15Z',
            formatted: 'Wednesday 28 February 2024 at 09:30:15.250',
            french: 'mercredi 28 février 2024',
            german: 'Mittwoch, 28. Februar',
            due: '2024-03-04T17:45:00Z',
            daysLeft: 5,
            distance: '5 days ago',
            duration: '5 days 8 hours 14 minutes 44 seconds',
            businessDay: '2024-03-04',
            weekStart: '2024-02-26',
            monthEnd: '2024-01-31',
            weekends: ['03-02', '03-03'],
            isoWeek: 9,
            invalid: false,
          }),
      },
    ],
  }),
)
