import { describe, expect, it } from 'vitest';
import { analyzeMentions, escapeMrkdwn } from './mentions';

describe('analyzeMentions', () => {
  it('finds Slack broadcast tokens, with and without labels, and plain @here', () => {
    expect(analyzeMentions('<!channel> deploy at 5').broadcasts).toEqual(['channel']);
    expect(analyzeMentions('heads up <!here|here>').broadcasts).toEqual(['here']);
    expect(analyzeMentions('ping @everyone now').broadcasts).toEqual(['everyone']);
    expect(analyzeMentions('mail me at ops@here.com').broadcasts).toEqual([]);
  });

  it('counts distinct people and user groups, also inside blocks', () => {
    const mentions = analyzeMentions('<@U0AAA1> and <@U0AAA1|aa> and <@W0BBB2>', [
      { type: 'section', text: { type: 'mrkdwn', text: '<@U0CCC3> <!subteam^S0TEAM|@oncall>' } },
    ]);
    expect(mentions.users).toEqual(['U0AAA1', 'W0BBB2', 'U0CCC3']);
    expect(mentions.userGroups).toEqual(['S0TEAM']);
    expect(mentions.broadcasts).toEqual([]);
  });

  it('finds rich-text broadcast, user and user-group elements, which carry no markup', () => {
    const blocks = [
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'broadcast', range: 'channel' }, { type: 'text', text: ' release' }, { type: 'user', user_id: 'U0AAA1' }, { type: 'usergroup', usergroup_id: 'S0TEAM' }] }],
      },
    ];
    expect(analyzeMentions('release', blocks)).toEqual({ broadcasts: ['channel'], users: ['U0AAA1'], userGroups: ['S0TEAM'] });
    expect(analyzeMentions('x', [{ type: 'rich_text', elements: [{ type: 'broadcast', range: 'someone-new' }] }]).broadcasts).toEqual(['channel']);
  });

  it('sees nothing in an ordinary message', () => {
    expect(analyzeMentions('the deploy went fine, thanks all')).toEqual({ broadcasts: [], users: [], userGroups: [] });
  });
});

describe('escapeMrkdwn', () => {
  it('makes control sequences show literally', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.test|bank>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.test|bank&gt;');
    expect(analyzeMentions(escapeMrkdwn('<!channel>')).broadcasts).toEqual([]);
  });
});
