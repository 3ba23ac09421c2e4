/**
 * The words the time parser knows, as data: a new way people say a time is
 * usually one entry here plus a line in the corpus test. Text is already
 * lower-cased with ё read as е.
 */

/** The working day the service keeps (the legacy bot's 08:00-22:00): "до 16" starts at its opening. */
export const WORKDAY = { from: 8 * 60, to: 22 * 60 } as const;

const h = (hour: number) => hour * 60;

/** Parts of the day as windows [from, to) in minutes; keys are regex alternatives. */
export const DAYPARTS: Record<string, [number, number]> = {
  'после обеда|после полудня|(?:во )?втор(?:ая|ой) половин[аеу] дня': [h(14), h(18)],
  'до обеда|(?:в )?перв(?:ая|ой) половин[аеу] дня': [h(9), h(13)],
  'обед(?:ом)?|в обед': [h(13), h(14)],
  'утром|с утра|утро|поутру': [h(9), h(12)],
  днем: [h(12), h(17)],
  'вечером|под вечер|ближе к вечеру|вечер': [h(18), h(21)],
  'течени[еи] дня|весь день|в любое время|любое время': [WORKDAY.from, WORKDAY.to],
};

/** ISO weekday by name and abbreviation, in the forms "в ..." takes. */
export const WEEKDAYS: Record<string, number> = {
  понедельник: 1,
  пн: 1,
  вторник: 2,
  вт: 2,
  среду: 3,
  среда: 3,
  ср: 3,
  четверг: 4,
  чт: 4,
  пятницу: 5,
  пятница: 5,
  пт: 5,
  субботу: 6,
  суббота: 6,
  сб: 6,
  воскресенье: 7,
  вс: 7,
};

/** Month numbers by genitive name and abbreviation ("25 декабря", "25 дек"). */
export const MONTHS: Record<string, number> = {
  января: 1,
  янв: 1,
  февраля: 2,
  фев: 2,
  марта: 3,
  мар: 3,
  апреля: 4,
  апр: 4,
  мая: 5,
  май: 5,
  июня: 6,
  июн: 6,
  июля: 7,
  июл: 7,
  августа: 8,
  авг: 8,
  сентября: 9,
  сент: 9,
  сен: 9,
  октября: 10,
  окт: 10,
  ноября: 11,
  ноя: 11,
  декабря: 12,
  дек: 12,
};

/** Counts said in words ("через пару часов", "через полтора часа"). */
export const NUMBER_WORDS: Record<string, number> = {
  полтора: 1.5,
  полторы: 1.5,
  один: 1,
  одну: 1,
  одни: 1,
  пару: 2,
  два: 2,
  две: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  десять: 10,
};

/** Short names for the confirmation ("Пт, 11 дек, 14:00–16:00"). */
export const SHORT_NAMES = {
  ru: { weekdays: ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'], months: ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'] },
  en: {
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  },
} as const;
