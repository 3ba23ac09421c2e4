-- Up Migration
-- Equipment names read as one appliance, the way they stand on an order's card
-- ("Техника: Стиральная машина") and in the new-order buttons; the seed of 0001
-- mixed plurals and singulars. Only names still as seeded change: an admin's
-- own wording stays. legacy_label (the importer's key) is untouched.
UPDATE equipment_types e SET name_ru = v.name_ru, name_en = v.name_en
FROM (VALUES
  ('washing_machine', 'Стиральные машины', 'Washing machines', 'Стиральная машина', 'Washing machine'),
  ('oven',            'Духовой шкаф',      'Ovens',            'Духовой шкаф',      'Oven'),
  ('dishwasher',      'Посудомоечная машина', 'Dishwashers',   'Посудомоечная машина', 'Dishwasher'),
  ('coffee_machine',  'Кофемашины',        'Coffee machines',  'Кофемашина',        'Coffee machine'),
  ('water_heater',    'Водонагреватели',   'Water heaters',    'Водонагреватель',   'Water heater'),
  ('tv',              'Телевизоры',        'TVs',              'Телевизор',         'TV')
) AS v(code, seeded_ru, seeded_en, name_ru, name_en)
WHERE e.code = v.code AND e.name_ru = v.seeded_ru AND e.name_en = v.seeded_en;

-- Down Migration
UPDATE equipment_types e SET name_ru = v.seeded_ru, name_en = v.seeded_en
FROM (VALUES
  ('washing_machine', 'Стиральные машины', 'Washing machines', 'Стиральная машина', 'Washing machine'),
  ('oven',            'Духовой шкаф',      'Ovens',            'Духовой шкаф',      'Oven'),
  ('dishwasher',      'Посудомоечная машина', 'Dishwashers',   'Посудомоечная машина', 'Dishwasher'),
  ('coffee_machine',  'Кофемашины',        'Coffee machines',  'Кофемашина',        'Coffee machine'),
  ('water_heater',    'Водонагреватели',   'Water heaters',    'Водонагреватель',   'Water heater'),
  ('tv',              'Телевизоры',        'TVs',              'Телевизор',         'TV')
) AS v(code, seeded_ru, seeded_en, name_ru, name_en)
WHERE e.code = v.code AND e.name_ru = v.name_ru AND e.name_en = v.name_en;
