'''GNOME Mutter's idle monitor (org.gnome.Mutter.IdleMonitor), as a python3-dbusmock template.

Behaves as Mutter does where sitbreak depends on it: watch ids start at 1 and grow, idle watches
stay registered and fire each time the idle time reaches their interval, user-active watches fire
once at the next input and are then gone. The tests drive it through the mock interface:
FireWatch(id) fires one watch as Mutter would, Input() is a keystroke (every user-active watch
fires), GetWatches() lists what is registered.

Parameters: "idletime" (milliseconds idle at start, default 0).
'''

import time

import dbus

from dbusmock import MOCK_IFACE

BUS_NAME = 'org.gnome.Mutter.IdleMonitor'
MAIN_OBJ = '/org/gnome/Mutter/IdleMonitor/Core'
MAIN_IFACE = 'org.gnome.Mutter.IdleMonitor'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.last_input = time.monotonic() - parameters.get('idletime', 0) / 1000.0
    # id -> interval in milliseconds; 0 marks a user-active watch.
    mock.watches = {}
    mock.next_watch = 1


def _add(self, interval):
    watch = self.next_watch
    self.next_watch += 1
    self.watches[watch] = interval
    return dbus.UInt32(watch)


def _fire(self, watch):
    self.EmitSignal(MAIN_IFACE, 'WatchFired', 'u', [dbus.UInt32(watch)])
    if self.watches.get(watch) == 0:
        del self.watches[watch]


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='t')
def GetIdletime(self):
    return dbus.UInt64(int((time.monotonic() - self.last_input) * 1000))


@dbus.service.method(MAIN_IFACE, in_signature='t', out_signature='u')
def AddIdleWatch(self, interval):
    if interval == 0:
        raise dbus.exceptions.DBusException('Invalid interval', name='org.freedesktop.DBus.Error.InvalidArgs')
    return _add(self, int(interval))


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='u')
def AddUserActiveWatch(self):
    return _add(self, 0)


@dbus.service.method(MAIN_IFACE, in_signature='u', out_signature='')
def RemoveWatch(self, watch):
    self.watches.pop(int(watch), None)


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='a{ut}')
def GetWatches(self):
    return dbus.Dictionary({dbus.UInt32(k): dbus.UInt64(v) for k, v in self.watches.items()}, signature='ut')


@dbus.service.method(MOCK_IFACE, in_signature='u', out_signature='')
def FireWatch(self, watch):
    '''Fires one registered watch as Mutter would (an idle watch: its interval of quiet passed).'''
    watch = int(watch)
    if watch not in self.watches:
        raise dbus.exceptions.DBusException(f'no watch {watch}', name='org.freedesktop.DBus.Mock.NoSuchWatch')
    if self.watches[watch] > 0:
        self.last_input = time.monotonic() - self.watches[watch] / 1000.0
    _fire(self, watch)


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='')
def Input(self):
    '''A keystroke: the idle time restarts and every user-active watch fires.'''
    self.last_input = time.monotonic()
    for watch in [w for w, interval in self.watches.items() if interval == 0]:
        _fire(self, watch)
