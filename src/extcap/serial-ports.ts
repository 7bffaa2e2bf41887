/**
 * The serial ports a dev-jig bridge is likely on, for the Source list of the capture dialog:
 * USB CDC and USB-serial devices in /dev (Linux ttyACMn and ttyUSBn, macOS cu.usbmodem... and cu.usbserial...).
 * A directory listing rather than serialport's enumeration: it needs no native module, costs
 * nothing when Wireshark lists interfaces, and a missing /dev just means no ports.
 *
 * Example: serialPortCandidates()  // ['/dev/ttyACM0']
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const PORT_NAME = /^(tty(ACM|USB)[0-9]+|cu\.usb(modem|serial).*)$/;

export function serialPortCandidates(dev = '/dev'): string[] {
  let names: string[];
  try {
    names = readdirSync(dev);
  } catch {
    return [];
  }
  return names
    .filter((n) => PORT_NAME.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(dev, n));
}
