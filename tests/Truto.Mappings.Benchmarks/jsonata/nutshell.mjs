// Truto's JSONata engine (@truto/truto-jsonata) mapping the Nutshell delete answer that the compiled
// mapping is measured on (tests/Truto.Mappings.Tests/Fixtures/nutshell/delete.success-with-body.json),
// provider bytes to unified bytes: JSON.parse, the expression, JSON.stringify. The expression maps
// what mappings/providers/nutshell.yaml maps, remote_data included; the script checks once that its
// answer is the compiled mapping's verified answer. Prints microseconds per record, wall and CPU.
// Run: npm ci && npm run bench -- [results file to append to]
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import trutoJsonata from '@truto/truto-jsonata';

const fixtures = new URL('../../Truto.Mappings.Tests/Fixtures/nutshell/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('delete.success-with-body.json', fixtures), 'utf8'));
const verified = JSON.parse(readFileSync(new URL('delete.success-with-body.verified.json', fixtures), 'utf8')).body;
// The bytes as the replay server sends them (compact), as the C# benchmark reads them.
const answer = JSON.stringify(fixture.answers[0].body);
const id = fixture.call.id;

const expression = trutoJsonata(`(
  $c := contacts[0];
  $accountId := $c.links.accounts[0];
  $time := function($seconds) { $exists($seconds) ? $fromMillis($seconds * 1000, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z') : null };
  {
    "id": $id,
    "name": $c.name,
    "first_name": $c.firstName,
    "last_name": $c.lastName,
    "title": $c.jobTitle,
    "created_at": $time($c.createdTime),
    "updated_at": $time($c.modifiedTime),
    "custom_fields": $c.customFields,
    "owner": { "id": $c.links.owner },
    "account": { "id": $accountId, "name": accounts[id = $accountId][0].name },
    "email_addresses": [$c.emails.{ "email": value, "type": name }],
    "phone_numbers": [$c.phones.{
      "number": $exists(value.E164) ? value.E164 : $exists(value.number) ? value.number : value,
      "extension": $trim(value.extension) != '' ? $trim(value.extension) : null,
      "type": name
    }],
    "addresses": [$c.addresses.{
      "street_1": address_1, "street_2": address_2, "city": city, "state": state,
      "postal_code": postalCode, "country": country, "type": name
    }],
    "urls": [$c.urls.{ "url": value, "type": name }],
    "tags": [tags.{ "id": id, "name": name }],
    "remote_data": $$
  }
)`);

const map = async () => JSON.stringify(await expression.evaluate(JSON.parse(answer), { id }));

assert.deepStrictEqual(JSON.parse(await map()), verified, 'the JSONata mapping must answer what the compiled mapping answers');

async function measure(count) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await map();
  }
  const wall = Number(process.hrtime.bigint() - start) / 1000 / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / count };
}

await measure(2000); // warm-up: the JIT and the expression's caches
const runs = [];
for (let i = 0; i < 5; i++) {
  runs.push(await measure(5000));
}
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const wall = median(runs.map((r) => r.wall));
const cpu = median(runs.map((r) => r.cpu));
const line = `@truto/truto-jsonata 3.0.6 on Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}: `
  + `Nutshell delete answer, bytes to bytes: median of 5 runs of 5000: ${wall.toFixed(1)} µs wall, ${cpu.toFixed(1)} µs CPU per record`;
console.log(line);
if (process.argv[2]) {
  appendFileSync(process.argv[2], line + '\n');
}
