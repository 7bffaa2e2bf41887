/**
 * Opens a serial port (a USB CDC bridge such as an RP2040 on /dev/ttyACM0) with the `serialport`
 * package. Resolves with the open port (a Duplex: iterate it for chunks); rejects with the open
 * error (no such device, permission denied, busy). The baud rate matters only for real UARTs.
 *
 * Example: const port = await openSerial('/dev/ttyACM0', 921600); for await (const c of port) ...
 */
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';

export const DEFAULT_BAUD = 921_600;

export function openSerial(path: string, baudRate = DEFAULT_BAUD): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => {
      if (err) reject(err);
      else resolve(port);
    });
  });
}
