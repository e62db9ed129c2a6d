#!/usr/bin/env node
// Writes raw_orders.csv and raw_items.csv into a dbt-labs/jaffle-shop copy's
// seeds/jaffle-data/. Upstream keeps those two in Git LFS (150-180 MB), which
// the mirrors do not hold; the other four seeds are in the checkout. The rows
// are generated deterministically from the checkout's customers, stores and
// products, in the columns jafgen writes, so that the project's own tests
// hold: order_total = subtotal + tax_paid, subtotal = the items' prices,
// every order's customer and store exist.
//
//   node jaffle-data.mjs <jaffle-shop copy> [orders (default 3000)]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dir, count = '3000'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: jaffle-data.mjs <jaffle-shop copy> [orders]');
  process.exit(2);
}
const data = path.join(dir, 'seeds/jaffle-data');

// The seeds hold no quoted commas in the columns read here (ids, prices, rates).
const rows = (file) => {
  const [head, ...lines] = readFileSync(path.join(data, file), 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [cols[i], v])));
};
const customers = rows('raw_customers.csv');
const stores = rows('raw_stores.csv');
const products = rows('raw_products.csv');

// A fixed-seed LCG, so every run writes the same files.
let state = 20240901;
const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(rand() * list.length)];

const start = Date.parse('2024-09-01T00:00:00Z');
const span = 365 * 24 * 3600 * 1000;
const orders = [['id', 'customer', 'ordered_at', 'store_id', 'subtotal', 'tax_paid', 'order_total']];
const items = [['id', 'order_id', 'sku']];
let itemId = 0;
for (let n = 0; n < Number(count); n++) {
  const at = new Date(start + Math.floor(rand() * span));
  const open = stores.filter((s) => Date.parse(`${s.opened_at}Z`) <= at.getTime());
  const store = pick(open.length > 0 ? open : stores);
  const orderId = `ord-${String(n + 1).padStart(6, '0')}`;
  let subtotal = 0;
  for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
    const product = pick(products);
    subtotal += Number(product.price);
    items.push([`itm-${String(++itemId).padStart(7, '0')}`, orderId, product.sku]);
  }
  const tax = Math.round(subtotal * Number(store.tax_rate));
  orders.push([orderId, pick(customers).id, at.toISOString().slice(0, 19), store.id, subtotal, tax, subtotal + tax]);
}
const csv = (table) => table.map((r) => r.join(',')).join('\n') + '\n';
writeFileSync(path.join(data, 'raw_orders.csv'), csv(orders));
writeFileSync(path.join(data, 'raw_items.csv'), csv(items));
console.log(`${orders.length - 1} orders, ${items.length - 1} items`);
