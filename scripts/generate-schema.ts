// npm run schema: regenerates schemas/electrictown.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaText } from '../server/src/config/json-schema';

const target = path.join(__dirname, '..', 'schemas', 'electrictown.schema.json');
writeFileSync(target, jsonSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
