'''A systemd user service manager's environment block and graphical-session.target, as a
python3-dbusmock template for the user bus.

As systemd does: SetEnvironment/UnsetEnvironment/UnsetAndSetEnvironment change the Manager's
Environment property without any signal (systemd declares it EmitsChangedSignal=false), and
StartUnit/StopUnit of graphical-session.target change the unit's ActiveState and send its
PropertiesChanged, but only once some client called Subscribe.

SetEnvironmentPrivately (on the mock's own interface) changes the block as `systemctl --user
set-environment` does through the manager's private socket: no call to the Manager's methods
travels on the bus, so a monitor watching those sees nothing.

Parameters: "environment" (list of NAME=value at start, default []), "emits_environment"
(bool, default false: true also sends the Manager's PropertiesChanged for Environment, as
another implementation of the interface might).
'''

import dbus
import dbusmock

BUS_NAME = 'org.freedesktop.systemd1'
MAIN_OBJ = '/org/freedesktop/systemd1'
MAIN_IFACE = 'org.freedesktop.systemd1.Manager'
SYSTEM_BUS = False

MOCK_IFACE = 'org.freedesktop.DBus.Mock'
UNIT_IFACE = 'org.freedesktop.systemd1.Unit'
GRAPHICAL = 'graphical-session.target'
GRAPHICAL_PATH = '/org/freedesktop/systemd1/unit/graphical_2dsession_2etarget'


def load(mock, parameters):
    mock.subscribed = False
    mock.emits_environment = parameters.get('emits_environment', False)
    mock.AddProperties(MAIN_IFACE, dbus.Dictionary(
        {'Environment': dbus.Array(parameters.get('environment', []), signature='s')}, signature='sv'))
    mock.AddObject(GRAPHICAL_PATH, UNIT_IFACE,
                   {'Id': dbus.String(GRAPHICAL), 'ActiveState': dbus.String('inactive')}, [])


def _set_environment(self, names, assignments):
    block = [entry for entry in self.props[MAIN_IFACE]['Environment']
             if entry.split('=', 1)[0] not in names]
    for assignment in assignments:
        name = assignment.split('=', 1)[0]
        block = [entry for entry in block if entry.split('=', 1)[0] != name] + [assignment]
    self.props[MAIN_IFACE]['Environment'] = dbus.Array(block, signature='s')
    if self.emits_environment:
        self.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as',
                        [MAIN_IFACE, dbus.Dictionary({}, signature='sv'), dbus.Array(['Environment'], signature='s')])


@dbus.service.method(MAIN_IFACE, in_signature='as', out_signature='')
def SetEnvironment(self, assignments):
    _set_environment(self, [], [str(a) for a in assignments])


@dbus.service.method(MAIN_IFACE, in_signature='as', out_signature='')
def UnsetEnvironment(self, names):
    _set_environment(self, [str(n).split('=', 1)[0] for n in names], [])


@dbus.service.method(MAIN_IFACE, in_signature='asas', out_signature='')
def UnsetAndSetEnvironment(self, names, assignments):
    _set_environment(self, [str(n).split('=', 1)[0] for n in names], [str(a) for a in assignments])


@dbus.service.method(MOCK_IFACE, in_signature='asas', out_signature='')
def SetEnvironmentPrivately(self, names, assignments):
    _set_environment(self, [str(n).split('=', 1)[0] for n in names], [str(a) for a in assignments])


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Subscribe(self):
    self.subscribed = True


def _set_graphical(self, state):
    unit = dbusmock.get_object(GRAPHICAL_PATH)
    unit.props[UNIT_IFACE]['ActiveState'] = dbus.String(state)
    if self.subscribed:
        unit.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as',
                        [UNIT_IFACE, dbus.Dictionary({'ActiveState': dbus.String(state)}, signature='sv'),
                         dbus.Array([], signature='s')])
    return dbus.ObjectPath('/org/freedesktop/systemd1/job/1')


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StartUnit(self, name, mode):
    return _set_graphical(self, 'active')


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StopUnit(self, name, mode):
    return _set_graphical(self, 'inactive')

