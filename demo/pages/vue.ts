// Vue page: the elements inside a Vue 3 app, written with render functions. Vue sets a prop as a DOM
// property when the element has it (objects, arrays, numbers) and as an attribute otherwise.
import { createApp, defineComponent, h, ref } from 'vue';
import '../../src/index.js';
import type { CrmParamsChangeEvent } from '../../src/index.js';

const Dashboard = defineComponent({
  setup() {
    const window = ref('5d');
    const onParams = (event: CrmParamsChangeEvent): void => {
      if (typeof event.detail.params['window'] === 'string') window.value = event.detail.params['window'];
    };
    return () => [
      h('p', `Attribution window chosen in the revenue widget, passed on to ROAS by Vue: ${window.value}`),
      h('crm-data', { id: 'vue-data', orders: './data/orders.csv', touches: './data/touches.csv', costs: './data/costs.csv', customers: './data/customers.csv', timezone: 'Europe/Berlin', currency: 'EUR' }),
      h('div', { class: 'widgets' }, [
        h('crm-revenue', { data: 'vue-data', class: 'wide', onCrmParamsChange: onParams }),
        h('crm-roas', { data: 'vue-data', class: 'wide', window: window.value }),
      ]),
    ];
  },
});

createApp(Dashboard).mount('#app');
