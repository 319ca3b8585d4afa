import Holidays from 'date-holidays';

/**
 * French public holidays (jours fériés) from date-holidays, kept per year:
 * the volunteers' office is closed on them even on a weekday. Observances
 * (Pentecost Sunday, Mothers' Day) are not holidays.
 */
export function frenchPublicHolidays(): (date: string) => boolean {
  const calendar = new Holidays('FR');
  const years = new Map<number, ReadonlySet<string>>();
  return (date) => {
    const year = Number(date.slice(0, 4));
    let days = years.get(year);
    if (!days) {
      days = new Set(calendar.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      years.set(year, days);
    }
    return days.has(date);
  };
}
