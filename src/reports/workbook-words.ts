import type { OrderStatus } from '../db/enums.ts';

/** The words of the workbooks: Russian for the business, English for those who chose it. */
export type Language = 'ru' | 'en';

const WORDS = {
  yes: ['да', 'yes'],
  no: ['нет', 'no'],
  total: ['Итого', 'Total'],
  summary: ['Сводка', 'Summary'],
  unassigned: ['Без мастера', 'Unassigned'],
  refusals_sheet: ['Отказы', 'Refusals'],
  active_sheet: ['Активные', 'Active'],
  completed_sheet: ['Выполненные', 'Completed'],
  master: ['Мастер', 'Master'],
  senior: ['Старший мастер', 'Senior master'],
  orders: ['Заказов', 'Orders'],
  revenue: ['Выручка', 'Revenue'],
  materials: ['Материалы', 'Materials'],
  net: ['Чистыми', 'Net'],
  rate: ['Ставка мастера', "Master's rate"],
  master_share: ['Доля мастера', "Master's share"],
  shares_by_master: ['Доли мастеров', "Masters' shares"],
  company_share: ['Доля компании', "Company's share"],
  prepayment: ['Предоплата', 'Prepayment'],
  to_hand_over: ['К сдаче', 'To hand over'],
  average_check: ['Средний чек', 'Average check'],
  reviews: ['С отзывом', 'With review'],
  out_of_city: ['За городом', 'Out of city'],
  refusals: ['Отказов', 'Refusals'],
  refusal_reasons: ['Причины отказов', 'Refusal reasons'],
  refusals_with_fee: ['Отказов с оплатой', 'Refusals with a fee'],
  refusal_fees: ['Оплата за отказы', 'Refusal fees'],
  refusal_fees_master: ['Мастеру с отказов', "Master's part of the fees"],
  refusal_fees_company: ['Компании с отказов', "Company's part of the fees"],
  refusal_fee: ['Оплата за выезд', 'Fee'],
  rating_average: ['Средняя оценка', 'Average rating'],
  rating_count: ['Оценок', 'Ratings'],
  visits: ['Визитов ко времени', 'Scheduled visits'],
  visits_on_time: ['Приехал вовремя', 'Arrived on time'],
  on_time_share: ['Вовремя, %', 'On time, %'],
  order_no: ['№ заказа', 'Order No.'],
  completed_at: ['Выполнен', 'Completed'],
  closed_at: ['Закрыт', 'Closed'],
  equipment: ['Техника', 'Equipment'],
  client: ['Клиент', 'Client'],
  address: ['Адрес', 'Address'],
  amount: ['Сумма', 'Amount'],
  review: ['Отзыв', 'Review'],
  status: ['Статус', 'Status'],
  visit: ['Визит', 'Visit'],
  created_at: ['Создан', 'Created'],
  refused_at: ['Когда', 'When'],
  reason: ['Причина', 'Reason'],
  active_total: ['Всего активных', 'Active in all'],
  completed: ['Выполнено', 'Completed'],
  closed: ['Закрыто', 'Closed'],
  status_NEW: ['Новый', 'New'],
  status_ASSIGNED: ['Назначен', 'Assigned'],
  status_ACCEPTED: ['Принят', 'Accepted'],
  status_IN_PROGRESS: ['В работе', 'In progress'],
  status_LONG_REPAIR: ['Длительный ремонт', 'Long repair'],
  status_COMPLETED: ['Выполнен', 'Completed'],
  status_CLOSED: ['Закрыт', 'Closed'],
  status_REFUSED: ['Отказ', 'Refused'],
} as const satisfies Record<string, readonly [string, string]> & Record<`status_${OrderStatus}`, readonly [string, string]>;

export type WordKey = keyof typeof WORDS;

export function word(key: WordKey, lang: Language): string {
  return WORDS[key][lang === 'en' ? 1 : 0];
}

export function statusWord(status: OrderStatus, lang: Language): string {
  return word(`status_${status}`, lang);
}
