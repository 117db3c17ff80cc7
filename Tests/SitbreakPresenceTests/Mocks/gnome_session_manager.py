'''gnome-session's org.gnome.SessionManager inhibitors, as a python3-dbusmock template.

Inhibit/Uninhibit keep the InhibitedActions property (the OR of every inhibitor's flags; idle is
8) and, like gnome-session, emit InhibitorAdded/InhibitorRemoved and then PropertiesChanged for
InhibitedActions (gdbus-codegen's skeleton sends it from an idle callback, after the signal).

Parameters: "inhibited" (InhibitedActions at start, default 0), "properties_changed" (bool,
default true: false leaves only InhibitorAdded/Removed, as an older gnome-session might).
'''

import dbus

BUS_NAME = 'org.gnome.SessionManager'
MAIN_OBJ = '/org/gnome/SessionManager'
MAIN_IFACE = 'org.gnome.SessionManager'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.inhibitors = {}
    mock.next_cookie = 1
    mock.base_flags = int(parameters.get('inhibited', 0))
    mock.properties_changed = parameters.get('properties_changed', True)
    mock.AddProperties(MAIN_IFACE, dbus.Dictionary({'InhibitedActions': dbus.UInt32(mock.base_flags)}, signature='sv'))


def _update(self, signal, path):
    flags = self.base_flags
    for _, inhibitor_flags in self.inhibitors.values():
        flags |= inhibitor_flags
    self.props[MAIN_IFACE]['InhibitedActions'] = dbus.UInt32(flags)
    self.EmitSignal(MAIN_IFACE, signal, 'o', [dbus.ObjectPath(path)])
    if self.properties_changed:
        self.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as',
                        [MAIN_IFACE, dbus.Dictionary({'InhibitedActions': dbus.UInt32(flags)}, signature='sv'),
                         dbus.Array([], signature='s')])


@dbus.service.method(MAIN_IFACE, in_signature='susu', out_signature='u')
def Inhibit(self, app_id, toplevel_xid, reason, flags):
    cookie = self.next_cookie
    self.next_cookie += 1
    path = f'/org/gnome/SessionManager/Inhibitor{cookie}'
    self.inhibitors[cookie] = (path, int(flags))
    _update(self, 'InhibitorAdded', path)
    return dbus.UInt32(cookie)


@dbus.service.method(MAIN_IFACE, in_signature='u', out_signature='')
def Uninhibit(self, cookie):
    path, _ = self.inhibitors.pop(int(cookie))
    _update(self, 'InhibitorRemoved', path)


@dbus.service.method(MAIN_IFACE, in_signature='u', out_signature='b')
def IsInhibited(self, flags):
    return dbus.Boolean(int(self.props[MAIN_IFACE]['InhibitedActions']) & int(flags) != 0)
