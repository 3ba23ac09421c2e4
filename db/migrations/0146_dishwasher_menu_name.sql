-- Up Migration
-- Menus list equipment by its plural name (name_ru); the dishwasher kept the
-- legacy label, a singular, so the creation menu read "Стиральные машины,
-- Сушильные машины, Посудомоечная машина". Only the untouched default is
-- changed: a name an admin already chose stays.
UPDATE equipment_types SET name_ru = 'Посудомоечные машины'
WHERE code = 'dishwasher' AND name_ru = 'Посудомоечная машина';

-- Down Migration
UPDATE equipment_types SET name_ru = 'Посудомоечная машина'
WHERE code = 'dishwasher' AND name_ru = 'Посудомоечные машины';
