-- Up Migration
-- Client phones in the canonical form the service now writes
-- (src/orders/client-phone.ts): Russian numbers as +7XXXXXXXXXX, however
-- they were typed (8 916..., 7916..., ten digits of a Russian area code).
-- Other numbers keep their digits. Deleted orders too: a restored order is
-- found like any other.
UPDATE orders SET client_phone = '+7' || right(client_phone, 10)
WHERE client_phone ~ '^(\+7|7|8)[0-9]{10}$' AND client_phone !~ '^\+7[0-9]{10}$';

UPDATE orders SET client_phone = '+7' || client_phone
WHERE client_phone ~ '^[3489][0-9]{9}$';

-- Down Migration
-- The original spellings are gone; the canonical ones stay valid.
SELECT 1;
