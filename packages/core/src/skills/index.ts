export { defineSkill, type Skill, type SkillSpec, type ConfiguredSkill } from './define-skill';
