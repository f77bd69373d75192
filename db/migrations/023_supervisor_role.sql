-- Supervisors: a role of keys and of people's accounts that watches and reads, and changes nothing.
alter table api_keys drop constraint api_keys_role_check;
alter table api_keys add constraint api_keys_role_check check (role in ('ivr', 'web', 'agent', 'supervisor', 'admin', 'integration'));
alter table people drop constraint people_role_check;
alter table people add constraint people_role_check check (role in ('agent', 'supervisor', 'admin'));
