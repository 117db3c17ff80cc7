'''org.freedesktop.ScreenSaver as KDE's screen locker or GNOME's proxy provides it, as a
python3-dbusmock template.

KDE (kscreenlocker, the default): the object at /ScreenSaver and /org/freedesktop/ScreenSaver,
GetActive and ActiveChanged, GetSessionIdleTime in milliseconds (KIdleTime), and the name
org.kde.screensaver owned as well. GNOME (parameter "gnome": true, gnome-settings-daemon's
screensaver proxy): only Inhibit/UnInhibit work; GetActive and GetSessionIdleTime answer
org.freedesktop.DBus.Error.NotSupported.

Parameters: "gnome" (bool), "idletime" (milliseconds idle at start), "active" (locked at start),
"paths" (the object paths to serve, default both), "kde_name" (own org.kde.screensaver too,
default true unless "gnome").
The tests drive it through the mock interface: SetIdletime(ms), Input(), SetLocked(b).
'''

import time

import dbus
import dbus.service

from dbusmock import MOCK_IFACE, mockobject

BUS_NAME = 'org.freedesktop.ScreenSaver'
MAIN_OBJ = '/ScreenSaver'
MAIN_IFACE = 'org.freedesktop.ScreenSaver'
SYSTEM_BUS = False

NOT_SUPPORTED = 'org.freedesktop.DBus.Error.NotSupported'


def _methods(gnome):
    def refuse(name):
        return (name, '', 'b' if name == 'GetActive' else 'u',
                f'raise dbus.exceptions.DBusException("This method is not implemented", name="{NOT_SUPPORTED}")')

    if gnome:
        return [refuse('GetActive'), refuse('GetSessionIdleTime'),
                ('Inhibit', 'ss', 'u', 'ret = 1'), ('UnInhibit', 'u', '', '')]
    return [
        ('GetActive', '', 'b', 'ret = self.state["active"]'),
        ('GetSessionIdleTime', '', 'u', 'ret = dbus.UInt32(int((time.monotonic() - self.state["last_input"]) * 1000))'),
        ('Inhibit', 'ss', 'u', 'ret = 1'),
        ('UnInhibit', 'u', '', ''),
    ]


def load(mock, parameters):
    gnome = parameters.get('gnome', False)
    paths = parameters.get('paths', [MAIN_OBJ, '/org/freedesktop/ScreenSaver'])
    # One state shared by every path, as one object registered twice.
    state = {'active': bool(parameters.get('active', False)),
             'last_input': time.monotonic() - parameters.get('idletime', 0) / 1000.0}
    mock.state = state
    mock.serving = []
    if MAIN_OBJ in paths:
        mock.AddMethods(MAIN_IFACE, _methods(gnome))
        mock.serving.append(mock)
    else:
        # The main object must exist for the mock interface; it answers nothing of the service.
        mock.AddMethods(MAIN_IFACE, [])
    for path in paths:
        if path == MAIN_OBJ:
            continue
        mock.AddObject(path, MAIN_IFACE, {}, [])
        other = mockobject.objects[path]
        other.state = state
        other.AddMethods(MAIN_IFACE, _methods(gnome))
        mock.serving.append(other)
    if not gnome and parameters.get('kde_name', True):
        # kscreenlocker owns this name next to org.freedesktop.ScreenSaver.
        mock.kde_name = dbus.service.BusName('org.kde.screensaver', mock.bus_name.get_bus(),
                                             allow_replacement=True, replace_existing=True, do_not_queue=True)


@dbus.service.method(MOCK_IFACE, in_signature='u', out_signature='')
def SetIdletime(self, milliseconds):
    self.state['last_input'] = time.monotonic() - int(milliseconds) / 1000.0


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='')
def Input(self):
    self.state['last_input'] = time.monotonic()


@dbus.service.method(MOCK_IFACE, in_signature='b', out_signature='')
def SetLocked(self, locked):
    '''Locks or unlocks: ActiveChanged on every path served, as Qt relays a signal on each.'''
    self.state['active'] = bool(locked)
    for obj in self.serving:
        obj.EmitSignal(MAIN_IFACE, 'ActiveChanged', 'b', [dbus.Boolean(locked)])
