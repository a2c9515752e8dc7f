import { PGlite } from "@electric-sql/pglite";
const db = new PGlite(".data/pglite");
console.log((await db.query(`select column_name, data_type, is_nullable, column_default from information_schema.columns where table_name='_prisma_migrations' order by ordinal_position`)).rows);
console.log((await db.query(`select * from _prisma_migrations`)).rows);
