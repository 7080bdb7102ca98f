export { {{camel}}Skill, {{camel}}ConfigSchema, {{SNAKE}}_SCOPES, type {{Name}}SkillConfig } from './{{name}}-skill';
export { is{{Name}}Backend, type {{Name}}Backend, type {{Name}}Note, type {{Name}}CallOptions } from './{{name}}-backend';
export { InMemory{{Name}} } from './in-memory-{{name}}';
export { {{Name}}Error, type {{Name}}ErrorKind } from './{{name}}-error';
