import { RpcPeer } from '../rpc/rpc-peer';
import { classicCodec } from '../rpc/classic-codec';
import { createLinePair } from './line-pair';
import { SniffingTransport } from './sniffing-transport';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SniffingTransport', () => {
  it('shows the first lines to the sniffer only, then hands the deciding line and the rest to the new owner in order', async () => {
    const [server, client] = createLinePair();
    const sniffer = new SniffingTransport(server);
    const sniffed: string[] = [];
    const methods: string[] = [];
    sniffer.sniffed$.subscribe((line) => {
      sniffed.push(line);
      if (line === 'garbage') {
        sniffer.send('{"id":null,"result":null,"error":[20,"not JSON",null]}');
        return;
      }
      sniffer.handOver(line);
      const peer = new RpcPeer(sniffer, classicCodec);
      peer.requests$.subscribe((req) => methods.push(req.method));
    });
    const replies: string[] = [];
    client.lines$.subscribe((line) => replies.push(line));
    client.send('garbage');
    client.send('{"id":1,"method":"mining.subscribe","params":[]}');
    client.send('{"id":2,"method":"mining.authorize","params":["w","x"]}');
    await tick();
    await tick();
    expect(sniffed).toEqual(['garbage', '{"id":1,"method":"mining.subscribe","params":[]}']);
    expect(methods).toEqual(['mining.subscribe', 'mining.authorize']);
    expect(replies).toEqual(['{"id":null,"result":null,"error":[20,"not JSON",null]}']);
  });

  it('closes the connection when more lines wait than maxHeldLines before the owner reads', async () => {
    const [server, client] = createLinePair();
    const sniffer = new SniffingTransport(server, { maxHeldLines: 2 });
    sniffer.sniffed$.subscribe((line) => sniffer.handOver(line));
    const reasons: string[] = [];
    sniffer.closed$.subscribe((info) => reasons.push(info.reason));
    client.send('a');
    client.send('b');
    client.send('c');
    await tick();
    await tick();
    expect(reasons).toEqual(['over 2 lines waiting for the session']);
  });

  it('completes sniffed$ and lines$ when the connection closes', async () => {
    const [server, client] = createLinePair();
    const sniffer = new SniffingTransport(server);
    let sniffedDone = false;
    let linesDone = false;
    sniffer.sniffed$.subscribe({ complete: () => (sniffedDone = true) });
    sniffer.lines$.subscribe({ complete: () => (linesDone = true) });
    client.close('bye');
    await tick();
    await tick();
    expect([sniffedDone, linesDone]).toEqual([true, true]);
  });
});
