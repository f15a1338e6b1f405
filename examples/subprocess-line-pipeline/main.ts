// Seed: none of its own; a pipeline between two child processes, read line by line while they run: a producer's lines are pumped into a consumer, whose replies are printed as they come.
// Twin of ./main.py.
import { createSubprocessExec, createSubprocessShell, createTask, PIPE, type Process, run } from "asyncio-ts";

const PRODUCER = 'for i in 1 2 3 4 5; do echo "item $i"; sleep 0.2; done';
const CONSUMER = 'while read line; do echo "processed <$line>"; done';

async function pump(source: Process, sink: Process): Promise<void> {
  // Each line as soon as the producer prints it, on to the consumer.
  for await (const line of source.stdout!) {
    console.log(`pump: ${line.toString().trimEnd()}`);
    sink.stdin!.write(line.toString().toUpperCase());
    await sink.stdin!.drain();
  }
  sink.stdin!.close();
}

async function main(): Promise<void> {
  const producer = await createSubprocessExec("sh", "-c", PRODUCER, { stdout: PIPE });
  const consumer = await createSubprocessShell(CONSUMER, { stdin: PIPE, stdout: PIPE });
  const pumping = createTask(() => pump(producer, consumer));
  for await (const line of consumer.stdout!) {
    console.log(`main: ${line.toString().trimEnd()}`);
  }
  await pumping;
  console.log(`producer exited with ${await producer.wait()}, consumer with ${await consumer.wait()}`);
}

await run(main);
